{% macro decimal_places_of_text(text) %}
    {#-
        The number of decimal places of a number written as `text` (plain or exponent notation),
        trailing zeros not counted: '0.00025' 5, '12.50' 1, '2.5e-4' 5, '1200' 0, '100e-12' 10.
        Read from the text because a cast to a decimal type rounds the digits it cannot hold
        without a word; a text that is not a number gives a meaningless value (check that first).
        With f the digits after the point less their trailing zeros, e the exponent and z the
        trailing zeros of the digits before the point: len(f) - e when f is not empty, else
        -e - z (0 for a zero).
    -#}
    {%- set fraction = mrr_engine.regexp_group(text, '[.]([0-9]*)') -%}
    {%- set integer = mrr_engine.regexp_group(text, '^[-+]?([0-9]*)') -%}
    {%- set exponent -%}
        coalesce(cast(nullif({{ mrr_engine.regexp_group(text, '[eE]([-+]?[0-9]+)$') }}, '') as integer), 0)
    {%- endset -%}
    {%- set significant_fraction = mrr_engine.trim_trailing_zeros(fraction) -%}
    (case
        when {{ significant_fraction }} != ''
            then length({{ significant_fraction }}) - {{ exponent }}
        when {{ mrr_engine.trim_trailing_zeros(integer) }} = '' then 0
        else -{{ exponent }} - (length({{ integer }}) - length({{ mrr_engine.trim_trailing_zeros(integer) }}))
    end)
{% endmacro %}
