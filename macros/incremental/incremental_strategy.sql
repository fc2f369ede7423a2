{% macro incremental_strategy() %}
    {#-
        The incremental strategy of every incremental model (month_incremental_config()), chosen
        in this one place per engine, or none where those models are plain tables.
        'replace_months' (get_incremental_replace_months_sql) deletes the rows of the rebuilt
        months (or periods) and inserts the rebuilt rows, so a month that no longer has rows is
        emptied too. Spark has no delete on plain (non-Delta) tables, and its insert_overwrite
        needs the partition column last, which the contract of fct_mrr_movements forbids: on
        Spark those models are tables, rebuilt in full (see docs/materializations.md).
    -#}
    {{ return(adapter.dispatch('incremental_strategy', 'mrr_engine')()) }}
{% endmacro %}

{% macro default__incremental_strategy() %}{{ return('replace_months') }}{% endmacro %}

{% macro spark__incremental_strategy() %}{{ return(none) }}{% endmacro %}
