{% macro input_row_number() %}
    {#- A number for each input row, so that rejected rows can be pointed at. -#}
    {{ return(adapter.dispatch('input_row_number', 'mrr_engine')()) }}
{% endmacro %}

{% macro default__input_row_number() %}row_number() over (){% endmacro %}

{% macro spark__input_row_number() %}monotonically_increasing_id() + 1{% endmacro %}
