-- The AI keywords of each paper, as its latest API appearance lists them (dim_papers.ai_keywords),
-- one row per distinct keyword.
with listed as (
    select paper_id, unnest(ai_keywords) as keyword
    from {{ ref('dim_papers') }}
)

select distinct paper_id, keyword
from listed
where keyword is not null and keyword <> ''
