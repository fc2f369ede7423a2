-- Invariant: upgrades are part of expansion, so upgrade_mrr <= expansion_mrr; and upgrading
-- customers are among the customers at the start. Skipped with var mrr_count_add_ons_as_upgrades,
-- where add-ons (also expansion) count as upgrades too, and the bound still holds.
select
    month,
    upgrade_mrr,
    expansion_mrr,
    upgrading_customers,
    customers_start
from {{ ref('metrics_mrr_monthly') }}
where
    upgrade_mrr > expansion_mrr
    or upgrading_customers > customers_start
    or downgrade_mrr > contraction_mrr
