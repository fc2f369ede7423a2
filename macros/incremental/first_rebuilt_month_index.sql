{% macro first_rebuilt_month_index() %}
    {#-
        For an incremental build of a month-grain model: the first month (as a month index) it
        recomputes, the start of its first rebuilt_month_ranges() (rebuild_from_month_index(), or
        earlier for a model whose rows look ahead).
    -#}
    {{ return(mrr_engine.rebuilt_month_ranges()[0][0]) }}
{% endmacro %}
