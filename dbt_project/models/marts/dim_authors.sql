-- Authors are matched by name (case and spacing ignored): the feed gives no author ids.
select
    md5(author_key) as author_id,
    min(name) as name
from {{ ref('int_paper_authors') }}
group by author_key
