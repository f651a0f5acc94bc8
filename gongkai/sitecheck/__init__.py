"""The site self-check against the 2019 national website indicators (国办秘函〔2019〕19号)."""
