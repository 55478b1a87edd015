select
    snapshot_id,
    snapshot_date,
    source,
    format,
    layout,
    in_page_date,
    byte_size,
    entry_count,
    ingested_at,
    parser_version,
    extractor_version
from {{ ref('int_snapshots') }}
