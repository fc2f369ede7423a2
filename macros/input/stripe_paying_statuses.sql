{% macro stripe_paying_statuses() %}
    {#-
        The Stripe subscription statuses that make MRR, as a SQL list literal: active and
        past_due (a customer in dunning still pays, as Stripe's own MRR counts it); unpaid,
        incomplete, incomplete_expired, paused and canceled do not, and trialing is a trial
        (docs/stripe.md, "Status"). A paused collection is var mrr_stripe_count_paused.
    -#}
    {{ return("('active', 'past_due')") }}
{% endmacro %}
