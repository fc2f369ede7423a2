{% macro input_row_number(present_columns=[]) %}
    {#-
        A number for each input row (its line in the file, 1 = first data row), so that rejected
        rows can be pointed at. Tables loaded by `mrr load` carry it as column input_row_number,
        numbered in file order by the loader; files read directly (DuckDB) are numbered here.
    -#}
    {% if 'input_row_number' in present_columns %}
        {{ return('cast(' ~ adapter.quote('input_row_number') ~ ' as bigint)') }}
    {% endif %}
    {{ return(adapter.dispatch('input_row_number', 'mrr_engine')()) }}
{% endmacro %}

{% macro default__input_row_number() %}row_number() over (){% endmacro %}
