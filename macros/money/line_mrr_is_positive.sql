{% macro line_mrr_is_positive(net_scaled, denominator, rate) %}
    {#-
        Whether line_mrr_from_net_scaled(net_scaled, denominator, rate) is above zero, exactly,
        without computing it (one product and one comparison instead of the rounding's floor and
        integer division). With N = rate * net_scaled >= 0 and D a positive whole number,
        round_ratio_to_cents gives floor(200 * N + D) div (2 * D) cents, which is at least 1 when
        floor(200 * N + D) >= 2 * D, that is when 200 * N >= D (2 * D is whole): a line whose MRR
        is under half a cent rounds to zero.
    -#}
    (200 * (cast({{ rate }} as decimal(38, 10)) * {{ net_scaled }}) >= {{ denominator }})
{% endmacro %}
