"""SCIM 2.0 provisioning of people and units (RFC 7643/7644, as Entra ID's provisioning service
speaks it) at ``/scim/v2/``. Users are people, Groups are units (docs/architecture.md)."""
