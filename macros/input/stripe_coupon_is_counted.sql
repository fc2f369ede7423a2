{% macro stripe_coupon_is_counted(duration) %}
    {#-
        Whether a Stripe coupon of this duration (a SQL expression, lower case) reduces MRR while
        it applies: only a forever coupon, as Stripe's MRR counts it, unless var
        mrr_stripe_count_limited_coupons counts once and repeating coupons too (docs/stripe.md,
        "Coupons").
    -#}
    {{ return('true' if mrr_engine.flag_var('stripe_count_limited_coupons') else duration ~ " = 'forever'") }}
{% endmacro %}
