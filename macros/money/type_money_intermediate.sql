{% macro type_money_intermediate() %}
    {#-
        The type of every amount in the intermediate tables (line, customer-month and movement
        amounts, in cents). On DuckDB a decimal(38, 2) is a 128-bit integer and a decimal(18, 2)
        a 64-bit one, which the big intermediate tables sum, sort and write faster
        (docs/scale-history.md, round 9). Elsewhere it is type_money(): PostgreSQL's numeric costs the
        same at any width, and Spark would turn an overflowing cast into a null. It holds an
        amount up to 9,999,999,999,999,999.99 exactly; a larger line or customer-month MRR stops
        the build with DuckDB's conversion error, never a wrong number. The marts' amounts and
        every sum over customers are type_money().
    -#}
    {{ return(adapter.dispatch('type_money_intermediate', 'mrr_engine')()) }}
{% endmacro %}

{% macro default__type_money_intermediate() %}{{ mrr_engine.type_money() }}{% endmacro %}

{% macro duckdb__type_money_intermediate() %}decimal(18, 2){% endmacro %}
