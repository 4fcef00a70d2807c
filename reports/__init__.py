"""The service report: the figures the service plan sets targets for, over a date range."""
