"""Running a batch at scale: where each report's work runs (:mod:`.pool`: this process or worker
processes; :mod:`.cluster`: a Dask cluster), what that work is (:mod:`.tasks`), how the stages of a run
use it (:mod:`.pipeline`), what the batch keeps of each report meanwhile (:mod:`.summary`), and the
progress shown (:mod:`.progress`)."""
