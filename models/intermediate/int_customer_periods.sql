-- One row per period grain (month, quarter, year), period and customer with a row of
-- int_customer_month_flows in the period: what the customer adds to each figure of the period.
-- A month's row is its customer-month; a quarter's or a year's sums its customer-months.
--
-- Starting figures are read in the period's first calendar month (the MRR at the end of the month
-- before: the customer is in the start set S when it had some), ending figures in its last month
-- (the as-of month for the period holding it), flows are summed over its months and flags say
-- whether any of its months had them. The 12-month cohort's MRR now is read in the last month
-- (for a customer with MRR 12 months before it); the expansions that can be judged for
-- stickiness, and the part of them that stuck, count in the period of the expansion.

with

customer_months as (
    select * from {{ ref('int_customer_month_flows') }}
),

period_months as (
    select * from {{ ref('int_period_months') }}
),

customer_period_months as (
    -- each customer-month once per grain, with what it adds to its period
    select
        period_months.period_grain,
        period_months.period_start,
        customer_months.customer_id,
        customer_months.segment,
        customer_months.new_mrr,
        customer_months.reactivation_mrr,
        customer_months.expansion_mrr,
        customer_months.contraction_mrr,
        customer_months.churned_mrr,
        customer_months.fx_mrr,
        customer_months.non_fx_mrr_change,
        customer_months.upgrade_mrr,
        customer_months.downgrade_mrr,
        customer_months.is_new,
        customer_months.is_reactivated,
        customer_months.is_churned,
        customer_months.has_upgrade,
        customer_months.expansion_retained_mrr,
        case
            when customer_months.month_index = period_months.first_month_index then customer_months.previous_mrr
            else 0
        end as starting_mrr,
        customer_months.month_index = period_months.first_month_index
        and customer_months.previous_mrr > 0 as is_in_start_set,
        case
            when customer_months.month_index = period_months.last_month_index then customer_months.mrr
            else 0
        end as ending_mrr,
        customer_months.month_index = period_months.last_month_index
        and customer_months.mrr > 0 as has_mrr_at_end,
        -- the 12-month cohort: the customers with MRR 12 months before the period's last month,
        -- their MRR now, and capped at their MRR then (grr_12m)
        case
            when
                customer_months.month_index = period_months.last_month_index
                and customer_months.mrr_12_months_before > 0
                then customer_months.mrr
            else 0
        end as cohort_mrr_now,
        case
            when
                customer_months.month_index = period_months.last_month_index
                and customer_months.mrr_12_months_before > 0
                then
                    case
                        when customer_months.mrr > customer_months.mrr_12_months_before
                            then customer_months.mrr_12_months_before
                        else customer_months.mrr
                    end
            else 0
        end as cohort_capped_mrr_now,
        case when customer_months.has_judged_expansion then customer_months.expansion_mrr else 0 end
            as expansion_judged_mrr,
        case when customer_months.has_judged_expansion then 1 else 0 end as judged_expansions
    from customer_months
    inner join period_months
        on customer_months.month_index = period_months.month_index
),

months as (
    select * from customer_period_months
    where period_grain = 'month'
),

longer_periods as (
    select
        period_grain,
        period_start,
        customer_id,
        segment,
        sum(new_mrr) as new_mrr,
        sum(reactivation_mrr) as reactivation_mrr,
        sum(expansion_mrr) as expansion_mrr,
        sum(contraction_mrr) as contraction_mrr,
        sum(churned_mrr) as churned_mrr,
        sum(fx_mrr) as fx_mrr,
        sum(non_fx_mrr_change) as non_fx_mrr_change,
        sum(upgrade_mrr) as upgrade_mrr,
        sum(downgrade_mrr) as downgrade_mrr,
        max(case when is_new then 1 else 0 end) = 1 as is_new,
        max(case when is_reactivated then 1 else 0 end) = 1 as is_reactivated,
        max(case when is_churned then 1 else 0 end) = 1 as is_churned,
        max(case when has_upgrade then 1 else 0 end) = 1 as has_upgrade,
        sum(expansion_retained_mrr) as expansion_retained_mrr,
        sum(starting_mrr) as starting_mrr,
        max(case when is_in_start_set then 1 else 0 end) = 1 as is_in_start_set,
        sum(ending_mrr) as ending_mrr,
        max(case when has_mrr_at_end then 1 else 0 end) = 1 as has_mrr_at_end,
        sum(cohort_mrr_now) as cohort_mrr_now,
        sum(cohort_capped_mrr_now) as cohort_capped_mrr_now,
        sum(expansion_judged_mrr) as expansion_judged_mrr,
        sum(judged_expansions) as judged_expansions
    from customer_period_months
    where period_grain != 'month'
    group by 1, 2, 3, 4
),

final as (
    select * from months
    union all
    select * from longer_periods
)

select * from final
