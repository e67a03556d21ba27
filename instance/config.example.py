# Copy to instance/config.py and adjust. Every setting can also be given as an environment variable
# CXROADMAP_<NAME>, which wins over this file.

# DATABASE_URL = "postgresql+psycopg://cxroadmap@127.0.0.1:5432/cxroadmap"
# SECRET_KEY = "a long random string"; when unset one is generated into instance/secret_key
# INITIATIVES_PER_PAGE = 25
# ROLE_STATEMENT_MAX_AGE_DAYS = 365
# BENEFIT_HORIZON_YEARS = 3
