{% test no_rejected_rows(model) %}
    {#-
        The input passed every check: returns the rejected rows of int_subscription_periods_checked.
        An error by default (the build stops before any mart is replaced); a warning with
        var on_invalid = quarantine, where rejected rows are left out and counted instead.
    -#}
    select
        rejection_reason,
        input_row_number,
        subscription_id,
        item_id,
        customer_id,
        valid_from,
        valid_to
    from {{ model }}
    where rejection_reason is not null
{% endtest %}
