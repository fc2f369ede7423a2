{% macro stripe_price_is_counted() %}
    {#-
        Whether a Stripe price (a row of stg_stripe__price) makes MRR: a recurring, licensed
        (not metered), per-unit (not tiered or volume) price with an interval. Metered, one-time
        and tiered prices are left out and audited (int_stripe__input_audit; docs/stripe.md).
    -#}
    (
        coalesce(lower(price_type), 'recurring') = 'recurring'
        and coalesce(lower(recurring_usage_type), 'licensed') = 'licensed'
        and coalesce(lower(billing_scheme), 'per_unit') = 'per_unit'
        and recurring_interval is not null
    )
{% endmacro %}
