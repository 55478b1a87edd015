{{ config(materialized='view') }}

-- Every committed entry with its paper_id: its own arXiv id, else the id its title maps to, else
-- the title itself. A view, so marts always see the current matching. An organization is keyed by
-- the API's `_id`, by its handle when the API gives no id.
select
    entries.snapshot_id,
    entries.snapshot_date,
    entries.position,
    entries.snapshot_format,
    entries.title,
    entries.title_key,
    entries.abstract,
    coalesce(entries.arxiv_id, paper_keys.arxiv_id) as arxiv_id,
    {{ paper_id('coalesce(entries.arxiv_id, paper_keys.arxiv_id)', 'entries.title_key') }} as paper_id,
    entries.authors,
    entries.upvotes,
    entries.num_comments,
    entries.github_stars,
    entries.project_page,
    entries.ai_summary,
    entries.ai_keywords,
    entries.published_at,
    entries.is_withdrawn,
    entries.author_ids,
    entries.author_users,
    coalesce(entries.organization_id, entries.organization_name) as organization_id,
    entries.organization_name,
    entries.organization_fullname,
    entries.submitter_id,
    entries.submitter_user,
    entries.submitter_fullname
from {{ ref('int_entries') }} as entries
left join {{ ref('int_paper_keys') }} as paper_keys
    on paper_keys.title_key = entries.title_key
