"""The OWASP API Security Top 10 (2023) as tests: one module per risk that applies.

- API1 Broken Object Level Authorization: test_api1_broken_object_level_authorization.py
- API2 Broken Authentication: test_api2_broken_authentication.py
- API3 Broken Object Property Level Authorization:
  test_api3_broken_object_property_level_authorization.py
- API4 Unrestricted Resource Consumption: test_api4_unrestricted_resource_consumption.py
- API5 Broken Function Level Authorization: test_api5_broken_function_level_authorization.py
- API6 Unrestricted Access to Sensitive Business Flows:
  test_api6_unrestricted_access_to_sensitive_business_flows.py
- API8 Security Misconfiguration: test_api8_security_misconfiguration.py
- API9 Improper Inventory Management: test_api9_improper_inventory_management.py

Two risks do not apply, and have no module:

- API7 Server Side Request Forgery: Agora fetches no URL. No request field is ever used as an
  address: there are no webhooks, avatars, link previews or imports, and the only outbound
  connections are to its own PostgreSQL and Redis, whose addresses come from the environment.
- API10 Unsafe Consumption of APIs: Agora consumes no third-party API. Its inputs are its own
  clients' requests, which every other module here treats as hostile.

Beside them, under hostile conditions rather than hostile input: races between real concurrent
clients on a live server (test_races.py) and a database outage under load (test_database_outage.py).
Each module's docstring names the tests elsewhere in the suite that already cover part of its
risk; the module adds only what was missing.
"""
