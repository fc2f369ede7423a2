{% macro incremental_strategy() %}
    {#-
        The incremental strategy of every month-grain model, chosen in this one place per engine.
        'replace_months' (get_incremental_replace_months_sql) deletes every month from the first
        rebuilt month on and inserts the rebuilt rows, so a month that no longer has rows is
        emptied too. Spark has no delete on plain tables: insert_overwrite, partitioned by month.
    -#}
    {{ return(adapter.dispatch('incremental_strategy', 'mrr_engine')()) }}
{% endmacro %}

{% macro default__incremental_strategy() %}{{ return('replace_months') }}{% endmacro %}

{% macro spark__incremental_strategy() %}{{ return('insert_overwrite') }}{% endmacro %}
