-- Each paper's authors in the order its latest API appearance lists them.
select
    paper_id,
    md5(author_identity) as author_id,
    author_position
from {{ ref('int_paper_authors') }}
