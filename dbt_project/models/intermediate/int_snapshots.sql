-- The commit record: a day exists in the warehouse once (and only as) its lake snapshots row says.
-- A partition holds one row; should it ever hold more, the latest ingest wins.
select *
from {{ ref('stg_snapshots') }}
qualify row_number() over (partition by snapshot_date order by ingested_at desc, snapshot_id) = 1
