-- Paper matching: every normalised title seen with an arXiv id maps to that id, so a page entry
-- (which has no id) and an API entry of the same paper become one paper_id. Should one title carry
-- two ids, the smallest wins (stable whatever order the days were loaded in).
select
    title_key,
    min(arxiv_id) as arxiv_id,
    count(distinct arxiv_id) as arxiv_id_count
from {{ ref('int_entries') }}
where arxiv_id is not null
group by title_key
