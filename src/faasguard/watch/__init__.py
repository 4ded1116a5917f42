"""`faasguard watch`: security detections over the logs serverless applications already write.

Logs (local files or CloudWatch Logs) are normalised into one small table in DuckDB
(`faasguard.watch.store.SCHEMA`), and each detection is a named SQL query over it
(`faasguard.watch.detections`), written in the subset of SQL that DuckDB and Trino / Athena share.
Nothing here is imported by `faasguard scan`.
"""
