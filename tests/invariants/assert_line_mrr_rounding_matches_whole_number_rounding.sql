-- Invariant: DuckDB's rounding of a line's MRR (round_to_cents: a double-precision
-- estimate, kept only far from a whole number of cents) gives the whole-number rounding of the
-- other engines (default__round_to_cents) and the cents worked out by hand, on values
-- chosen to be hard: exact half cents (whose estimate falls just under the whole number), values
-- 10^-10 either side of a half cent, thirds, zero, a rate of 10^-10, and an amount past 2^40 cents;
-- net prices with the 20 decimal places line_net_scaled can give (10^-20 either side of a half cent)
-- and the largest net price and rate the input checks let through (10^17 and 10^5, less 10^-20 and
-- 10^-10), whose product needs the whole-number rounding in parts.
-- Run on DuckDB only: elsewhere both sides are the same whole-number rounding.
{{ config(enabled=(target.type == 'duckdb')) }}
{#- net price (scaled), rate, whole-number denominator, MRR worked out by hand -#}
{%- set cases = [
    ('0', '1', 5, '0.00'),
    ('0.005', '1', 1, '0.01'),
    ('0.03', '0.5', 1, '0.02'),
    ('0.145', '1', 1, '0.15'),
    ('1.015', '1', 7, '0.15'),
    ('0.00499999', '1.0000000001', 1, '0.00'),
    ('0.005', '0.9999999999', 1, '0.00'),
    ('0.005', '1.0000000001', 1, '0.01'),
    ('1', '1', 3, '0.33'),
    ('2', '1', 3, '0.67'),
    ('1000', '1.2345678901', 144, '8.57'),
    ('99999999999.99999999', '99.9999999999', 1, '9999999999990.00'),
    ('12345678.9', '0.0000000001', 1, '0.00'),
    ('0.01', '0.5', 1, '0.01'),
    ('250', '1', 1, '250.00'),
    ('876543.22', '1', 1, '876543.22'),
    ('133.59900567691841394248', '1.0812345678', 1, '144.45'),
    ('0.00499999999999999999', '1', 1, '0.00'),
    ('0.00500000000000000001', '1', 1, '0.01'),
    ('99999999999999999.99999999999999999999', '99999.9999999999', 1, '9999999999999990000000.00'),
] %}

with

cases as (
    {% for net_scaled, rate, denominator, expected in cases %}
        select
            cast('{{ net_scaled }}' as decimal(38, 20)) as net_scaled,
            cast('{{ rate }}' as decimal(28, 10)) as rate,
            {{ denominator }} as denominator,
            cast('{{ expected }}' as {{ mrr_engine.type_money() }}) as expected_mrr
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

rounded as (
    select
        *,
        {{ mrr_engine.round_to_cents('net_scaled', 'denominator', 'rate') }} as engine_mrr,
        {{ mrr_engine.default__round_to_cents('net_scaled', 'denominator', 'rate') }}
            as whole_number_mrr
    from cases
)

select * from rounded
where
    engine_mrr is null
    or engine_mrr != expected_mrr
    or whole_number_mrr != expected_mrr
