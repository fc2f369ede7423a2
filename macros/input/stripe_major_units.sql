{% macro stripe_major_units(amount, currency) %}
    {#-
        A Stripe amount in minor units (`amount`) in the currency's major units, exactly: divided
        by 100, except in Stripe's zero-decimal currencies (JPY, KRW, ...), whose amounts are
        already whole units.
    -#}
    (cast({{ amount }} as decimal(28, 10)) * case
        when upper({{ currency }}) in (
            'BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND',
            'VUV', 'XAF', 'XOF', 'XPF'
        ) then cast(1 as decimal(3, 2))
        else cast(0.01 as decimal(3, 2))
    end)
{% endmacro %}
