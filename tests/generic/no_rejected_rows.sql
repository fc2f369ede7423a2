{% test no_rejected_rows(model) %}
    {#-
        The input passed every check: returns the rejected rows of an audit table
        (int_subscription_periods_checked, int_fx_rates_checked). An error by default (the build
        stops before any mart is replaced); a warning with var mrr_on_invalid = quarantine, where
        rejected rows are left out and counted instead.
    -#}
    select *
    from {{ model }}
    where rejection_reason is not null
{% endtest %}
