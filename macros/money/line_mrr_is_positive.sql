{% macro line_mrr_is_positive(net_scaled, denominator, rate) %}
    {#-
        Whether line_mrr_from_net_scaled(net_scaled, denominator, rate) is above zero, exactly,
        without computing it. With N = rate * net_scaled >= 0 and D a positive whole number,
        the rounding gives floor(200 * N + D) div (2 * D) cents, which is at least 1 when
        200 * N >= D: a line whose MRR is under half a cent rounds to zero.
    -#}
    {{ return(adapter.dispatch('line_mrr_is_positive', 'mrr_engine')(net_scaled, denominator, rate)) }}
{% endmacro %}

{% macro default__line_mrr_is_positive(net_scaled, denominator, rate) %}
    {#-
        200 * N >= D in whole numbers, as in default__line_mrr_from_net_scaled (R = rate * 10^10,
        net_scaled = X + f): 200 * R * X + floor(200 * R * f) >= D * 10^10, because the right side
        is whole.
    -#}
    {%- set scaled_rate -%}
        cast(cast({{ rate }} as decimal(38, 10)) * 10000000000 as decimal(38, 0))
    {%- endset -%}
    (200 * {{ scaled_rate }} * cast(floor({{ net_scaled }}) as decimal(38, 0))
        + cast(floor(200 * {{ scaled_rate }} * ({{ net_scaled }} - floor({{ net_scaled }}))) as decimal(38, 0))
        >= cast({{ denominator }} as decimal(38, 0)) * 10000000000)
{% endmacro %}

{% macro duckdb__line_mrr_is_positive(net_scaled, denominator, rate) %}
    {#-
        The same, decided in double precision unless 200 * N lies within 10^-9 of D, relatively
        (the estimate errs by under 10^-15): the whole-number comparison only where it decides.
    -#}
    {%- set estimate -%}
        (200 * cast({{ rate }} as double) * cast({{ net_scaled }} as double))
    {%- endset -%}
    (case
        when {{ estimate }} >= cast({{ denominator }} as double) * 1.000000001 then true
        when {{ estimate }} <= cast({{ denominator }} as double) * 0.999999999 then false
        else {{ mrr_engine.default__line_mrr_is_positive(net_scaled, denominator, rate) }}
    end)
{% endmacro %}
