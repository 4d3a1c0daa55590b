"""The tax API's schemas, one module per area as the API itself (tax/api/)."""
