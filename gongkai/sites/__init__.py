"""The register of government websites and new-media accounts, with approval of opening, changing and closing."""
