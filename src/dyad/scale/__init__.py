"""dyad at scale: the per-document flow on Ray Data, writing Parquet partitions
(``dyad.scale.ray_job``), and the import of those partitions into the store
(``dyad.scale.importer``). Ray is an optional extra: ``pip install 'dyad[ray]'``."""
