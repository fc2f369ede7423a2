{% macro is_stripe_input() %}
    {#-
        Whether the input is Fivetran's Stripe tables (var mrr_input_format: stripe): the Stripe
        adapter's models enable themselves with it (config(enabled=...) in each model, where the
        var is read with the host project's vars too).
    -#}
    {{ return(var('mrr_input_format', 'contract') | string | lower == 'stripe') }}
{% endmacro %}
