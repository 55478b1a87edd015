{#- Keys shared by several models; docs/architecture.md defines them. -#}

{% macro title_key(title) -%}
    {#- lower case, every run of non-alphanumerics (Unicode letters and digits count) folded to one space, trimmed -#}
    trim(regexp_replace(lower({{ title }}), '[^\p{L}\p{N}]+', ' ', 'g'))
{%- endmacro %}

{% macro normalised_arxiv_id(arxiv_id) -%}
    {#- "2409.17115v2" and " 2409.17115 " are the same paper; blanks mean no id -#}
    nullif(regexp_replace(lower(trim({{ arxiv_id }})), 'v[0-9]+$', ''), '')
{%- endmacro %}

{% macro paper_id(arxiv_id, title_key) -%}
    case
        when {{ arxiv_id }} is not null then 'arxiv:' || {{ arxiv_id }}
        else 'title:' || md5({{ title_key }})
    end
{%- endmacro %}

{% macro appearance_id(snapshot_id, position) -%}
    md5({{ snapshot_id }} || ':' || cast({{ position }} as varchar))
{%- endmacro %}

{% macro claim_id(snapshot_id, position, char_offset) -%}
    md5({{ snapshot_id }} || ':' || cast({{ position }} as varchar) || ':' || cast({{ char_offset }} as varchar))
{%- endmacro %}

{% macro author_key(name) -%}
    lower(trim(regexp_replace({{ name }}, '\s+', ' ', 'g')))
{%- endmacro %}
