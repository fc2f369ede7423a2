{% macro cte_materialized() %}
    {#-
        The keyword put between `name as` and a CTE's body so that the engine computes the CTE
        once, on its own, before the joins that read it: `materialized` on DuckDB and PostgreSQL
        (12 and later); nothing on engines without it (Spark, Snowflake, BigQuery), whose
        optimizers decide.
    -#}
    {{ return(adapter.dispatch('cte_materialized', 'mrr_engine')()) }}
{% endmacro %}

{% macro default__cte_materialized() %}{% endmacro %}

{% macro duckdb__cte_materialized() %}materialized{% endmacro %}

{% macro postgres__cte_materialized() %}materialized{% endmacro %}
