{% macro trim_trailing_zeros(text) %}
    {#- `text` without its trailing '0' characters ('1200' -> '12', '000' -> ''). -#}
    {{ return(adapter.dispatch('trim_trailing_zeros', 'mrr_engine')(text)) }}
{% endmacro %}

{% macro default__trim_trailing_zeros(text) %}rtrim({{ text }}, '0'){% endmacro %}

{% macro spark__trim_trailing_zeros(text) %}trim(trailing '0' from {{ text }}){% endmacro %}
