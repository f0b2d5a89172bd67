"""Client data (the system of record): typed records, the CRMAdapter port and its implementations."""
