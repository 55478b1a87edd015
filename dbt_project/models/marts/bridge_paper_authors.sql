select
    paper_id,
    md5(author_key) as author_id,
    author_position
from {{ ref('int_paper_authors') }}
