"""Standard disclosure catalogs (基层政务公开标准目录): areas, items, adaptations, coverage."""
