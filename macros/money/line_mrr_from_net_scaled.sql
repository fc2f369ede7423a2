{% macro line_mrr_from_net_scaled(net_scaled, denominator, rate) %}
    {#-
        R(rate * net_scaled / denominator): a line's MRR in the reporting currency in cents,
        rounded half away from zero once, from line_net_scaled and its whole-number denominator.
    -#}
    {{ mrr_engine.round_ratio_to_cents(
        'cast(' ~ rate ~ ' as decimal(38, 10)) * ' ~ net_scaled,
        denominator
    ) }}
{% endmacro %}
