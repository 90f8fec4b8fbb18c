"""Engines that run the per-file work somewhere other than this machine's process pool
(`batch.run`). Each is optional and imported only when asked for: `dask` (policyparse[dask])."""
