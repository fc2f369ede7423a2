{% macro line_mrr_from_net_scaled(net_scaled, denominator, rate) %}
    {#-
        R(rate * net_scaled / denominator): a line's MRR in the reporting currency in cents,
        rounded half away from zero once, from line_net_scaled and its whole-number denominator.
    -#}
    {{ return(adapter.dispatch('line_mrr_from_net_scaled', 'mrr_engine')(net_scaled, denominator, rate)) }}
{% endmacro %}

{% macro default__line_mrr_from_net_scaled(net_scaled, denominator, rate) %}
    {#-
        floor((200 * rate * net_scaled + D) / (2 * D)) cents (round_ratio_to_cents), computed in
        whole numbers without forming rate * net_scaled, whose scale (that of the net price, up
        to 20, plus the rate's 10) would not fit a decimal(38): with R = rate * 10^10 (a whole
        number, the rate having at most 10 decimal places) and net_scaled = X + f (X its whole
        part, 0 <= f < 1),
        floor((200 * R * (X + f) + D * 10^10) / (2 * D * 10^10))
            = (200 * R * X + floor(200 * R * f) + D * 10^10) div (2 * D * 10^10),
        because the other terms are whole. For a rate below 10^5 (R < 10^15) and net_scaled below
        10^18 (the input checks' bounds), 200 * R * X stays under 2 * 10^35 and 200 * R * f under
        2 * 10^17, within a decimal(38, 20).
    -#}
    {%- set scaled_rate -%}
        cast(cast({{ rate }} as decimal(38, 10)) * 10000000000 as decimal(38, 0))
    {%- endset -%}
    {%- set scaled_denominator -%}
        (cast({{ denominator }} as decimal(38, 0)) * 10000000000)
    {%- endset -%}
    {%- set dividend -%}
        200 * {{ scaled_rate }} * cast(floor({{ net_scaled }}) as decimal(38, 0))
        + cast(floor(200 * {{ scaled_rate }} * ({{ net_scaled }} - floor({{ net_scaled }}))) as decimal(38, 0))
        + {{ scaled_denominator }}
    {%- endset -%}
    (cast({{ mrr_engine.integer_divide(dividend, '2 * ' ~ scaled_denominator) }} as decimal(38, 0))
        * cast(0.01 as decimal(3, 2)))
{% endmacro %}

{% macro duckdb__line_mrr_from_net_scaled(net_scaled, denominator, rate) %}
    {#-
        The same rounding, with DuckDB's 128-bit decimal arithmetic only where it decides.
        round_ratio_to_cents gives the whole number of cents floor(q), q = (200 * N + D) / (2 * D),
        N = rate * net_scaled; DuckDB computes the floor of a decimal(38, 18), and converts one to a
        double, with 128-bit divisions, slowly. Here q is estimated in double precision from the
        two factors: each of its few roundings errs by at most 2^-53 of the value, so the estimate
        is within q * 10^-15 of q, and its floor is floor(q) whenever it lies further than
        q * 10^-12 from a whole number. Otherwise (a half cent, exactly or within that distance,
        or an amount beyond 2^40 cents) the whole-number rounding decides. Exact in every case,
        and about a tenth of the work at 1,000,000 customers (docs/scale-history.md, round 15).
    -#}
    {%- set estimate -%}
        ((200 * cast({{ rate }} as double) * cast({{ net_scaled }} as double) + ({{ denominator }}))
            / (2 * ({{ denominator }})))
    {%- endset -%}
    case
        when {{ estimate }} < 1099511627776 and abs({{ estimate }} - round({{ estimate }})) > {{ estimate }} * 1e-12
            then cast(floor({{ estimate }}) as decimal(38, 0)) * cast(0.01 as decimal(3, 2))
        else {{ mrr_engine.default__line_mrr_from_net_scaled(net_scaled, denominator, rate) }}
    end
{% endmacro %}
