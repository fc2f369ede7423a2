-- One row per changed line of a continuing customer per month and per effect (plan, price,
-- quantity, discount, fx) with a non-zero amount. A line whose plan changed has one plan effect
-- (upgrade or downgrade: its MRR on the new plan less its MRR on the old one, both at the old fx
-- rate) and an fx effect; a line that keeps its plan has its change split by sequential
-- substitution, in the order price -> quantity -> discount -> fx. Each state's MRR is rounded to
-- cents, so the effects of a line add up exactly to mrr_1 - mrr_0. The changed lines are those
-- of int_line_changes, and the lines of int_line_months whose period in force continues from the
-- month before while their fx rate moved them (the same terms in both months: only an fx effect).
-- A view: int_mrr_movements, its only reader, computes it as it builds (see
-- docs/materializations.md).

{{ config(materialized='view') }}
{% set terms = mrr_engine.line_terms() %}
{#- the states of sequential substitution: the price is always state 1 and the rate state 0; which
    state (0 or 1) the quantity and the discount (with its billing factor) are taken from -#}
{% set substitution_steps = [
    {'name': 'mrr_price_changed', 'quantity': '0', 'discount': '0'},
    {'name': 'mrr_quantity_changed', 'quantity': '1', 'discount': '0'},
    {'name': 'mrr_discount_changed', 'quantity': '1', 'discount': '1'},
] %}

{%- set terms_unchanged -%}
    {% for term in terms %}{{ term }}_0 = {{ term }}_1{% if not loop.last %} and {% endif %}{% endfor %}
{%- endset %}

with

-- int_line_changes is read twice, each read filtered to the rows it needs (cheaper than one
-- shared read of all of them, which the engine would have to keep)
whole_lines as (
    -- lines whose change is one movement: added or removed, or in both months with the same
    -- terms
    select * from {{ ref('int_line_changes') }}
    where
        line_change in ('added', 'removed')
        or (line_change in ('kept', 'switched') and {{ terms_unchanged }})
),

lines_within_period as (
    -- A line whose period in force continues from the month before, with MRR at both month ends
    -- (int_line_months' previous_mrr_in_period): the same terms, so only its fx rate can have
    -- changed its MRR. Most lines are such. Its customer is continuing (MRR at both month ends).
    select * from {{ ref('int_line_months') }}
    where previous_mrr_in_period > 0
),

changed_terms_lines as (
    select * from {{ ref('int_line_changes') }}
    where
        line_change in ('kept', 'switched')
        and not ({{ terms_unchanged }})
),

whole_changes as (
    -- the lines whose change is one movement, with their MRR in both months: those of
    -- int_line_changes, and the lines within their period in force (kept, same terms)
    select
        month,
        customer_id,
        subscription_id,
        item_id,
        from_plan_id,
        to_plan_id,
        product_id,
        line_change,
        mrr_0,
        mrr_1
    from whole_lines

    union all

    select
        month,
        customer_id,
        subscription_id,
        item_id,
        plan_id as from_plan_id,
        plan_id as to_plan_id,
        product_id,
        'kept' as line_change,
        previous_mrr_in_period as mrr_0,
        mrr as mrr_1
    from lines_within_period
),

whole_line_movements as (
    -- An added line is an add-on, a removed one its removal. A line whose terms did not change
    -- keeps its previous MRR through the price, quantity and discount steps (even when its plan
    -- changed: only the terms set the price), so its whole change is the fx effect: the same as
    -- substitution gives, without its arithmetic.
    select
        month,
        customer_id,
        subscription_id,
        item_id,
        from_plan_id,
        to_plan_id,
        product_id,
        case line_change
            when 'added' then 'add_on'
            when 'removed' then 'add_on_removal'
            else 'fx'
        end as movement_type,
        cast(mrr_1 - mrr_0 as {{ mrr_engine.type_money_intermediate() }}) as mrr_amount
    from whole_changes
    where mrr_1 != mrr_0
),

substituted as (
    select
        *,
        {% for step in substitution_steps %}
            {{ mrr_engine.line_mrr(
                'unit_amount_1', 'quantity_' ~ step.quantity,
                'discount_percent_' ~ step.discount, 'discount_amount_' ~ step.discount,
                'factor_numerator_1', 'factor_denominator_1',
                'factor_numerator_' ~ step.discount, 'factor_denominator_' ~ step.discount, 'rate_0'
            ) }} as {{ step.name }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from changed_terms_lines
),

effects as (
    -- A line whose plan changed has one plan effect, its whole constant-currency change (its
    -- new terms at the old rate, mrr_discount_changed, less its old MRR), and no price, seat or
    -- discount effect: the upgrade or downgrade is the new plan's MRR less the old plan's
    -- (docs/definitions.md, "Plan changes"). A line that keeps its plan is split by sequential
    -- substitution. Either way the fx effect is the rest, so the effects add up to mrr_1 - mrr_0.
    select
        *,
        case
            when from_plan_id != to_plan_id then mrr_discount_changed - mrr_0 else 0
        end as plan_effect,
        case
            when from_plan_id = to_plan_id then mrr_price_changed - mrr_0 else 0
        end as price_effect,
        case
            when from_plan_id = to_plan_id then mrr_quantity_changed - mrr_price_changed else 0
        end as quantity_effect,
        case
            when from_plan_id = to_plan_id then mrr_discount_changed - mrr_quantity_changed else 0
        end as discount_effect,
        mrr_1 - mrr_discount_changed as fx_effect
    from substituted
),

effect_kinds as (
    select 'plan' as effect_kind
    union all
    select 'price' as effect_kind
    union all
    select 'quantity' as effect_kind
    union all
    select 'discount' as effect_kind
    union all
    select 'fx' as effect_kind
),

unpivoted as (
    select
        effects.month,
        effects.customer_id,
        effects.subscription_id,
        effects.item_id,
        effects.from_plan_id,
        effects.to_plan_id,
        effects.product_id,
        effect_kinds.effect_kind,
        case effect_kinds.effect_kind
            when 'plan' then effects.plan_effect
            when 'price' then effects.price_effect
            when 'quantity' then effects.quantity_effect
            when 'discount' then effects.discount_effect
            else effects.fx_effect
        end as mrr_amount
    from effects
    cross join effect_kinds
),

typed as (
    select
        month,
        customer_id,
        subscription_id,
        item_id,
        from_plan_id,
        to_plan_id,
        product_id,
        case
            when effect_kind = 'plan' and mrr_amount > 0 then 'upgrade'
            when effect_kind = 'plan' then 'downgrade'
            when effect_kind = 'price' and mrr_amount > 0 then 'price_increase'
            when effect_kind = 'price' then 'price_decrease'
            when effect_kind = 'quantity' and mrr_amount > 0 then 'seat_expansion'
            when effect_kind = 'quantity' then 'seat_contraction'
            when effect_kind = 'discount' and mrr_amount > 0 then 'discount_end'
            when effect_kind = 'discount' then 'discount_start'
            else 'fx'
        end as movement_type,
        cast(mrr_amount as {{ mrr_engine.type_money_intermediate() }}) as mrr_amount
    from unpivoted
    where mrr_amount != 0
),

final as (
    select * from typed
    union all
    select * from whole_line_movements
)

select * from final
