{% macro has_more_decimal_places(text, places) %}
    {#-
        Whether the number written as `text` (trimmed) has more than `places` decimal places,
        trailing zeros not counted (decimal_places_of_text). Most texts are decided without a
        regular expression: a text without an exponent whose point, if any, has at most `places`
        characters after it cannot have more.
    -#}
    (
        (
            (position('.' in {{ text }}) > 0 and length({{ text }}) - position('.' in {{ text }}) > {{ places }})
            or lower({{ text }}) like '%e%'
        )
        and {{ mrr_engine.decimal_places_of_text(text) }} > {{ places }}
    )
{% endmacro %}
