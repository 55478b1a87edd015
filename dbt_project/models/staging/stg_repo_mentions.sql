select
    snapshot_id,
    cast(snapshot_date as date) as snapshot_date,
    cast(position as integer) as position,
    repo_id,
    host,
    kind,
    owner,
    name,
    url,
    path,
    source,
    cast(char_offset as integer) as char_offset,
    extractor_version
from {{ source('lake', 'repo_mentions') }}
