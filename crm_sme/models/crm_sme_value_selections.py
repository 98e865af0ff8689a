# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Selections shared by the customer value fields, their history and reports."""

VALUE_TIERS = [
    ("key", "Key"),
    ("grow", "Grow"),
    ("maintain", "Maintain"),
    ("basic", "Basic"),
]
ABC_CLASSES = [("a", "A"), ("b", "B"), ("c", "C")]
LIFECYCLE_STAGES = [
    ("prospect", "Prospect"),
    ("new", "New"),
    ("active", "Active"),
    ("at_risk", "At Risk"),
    ("dormant", "Dormant"),
    ("lost", "Lost"),
]
# Named RFM segments (the usual map of R and F+M scores 1-5 to a name).
RFM_SEGMENTS = [
    ("champions", "Champions"),
    ("loyal", "Loyal"),
    ("potential_loyalist", "Potential Loyalist"),
    ("new_customer", "New Customer"),
    ("promising", "Promising"),
    ("need_attention", "Needs Attention"),
    ("about_to_sleep", "About to Sleep"),
    ("at_risk", "At Risk"),
    ("cannot_lose", "Cannot Lose Them"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
]
# The eight classes Chinese managers use: each of R (recent), F and M above
# or below the company mean.  Key: r/f/m each "h" (high) or "l" (low).
RFM_CLASSES = [
    ("hhh", "Important Value"),  # 重要价值客户: recent, frequent, high value
    ("hlh", "Important Development"),  # 重要发展客户: recent, rare, high value
    ("lhh", "Important Retention"),  # 重要保持客户: long ago, frequent, high value
    ("llh", "Important Win-back"),  # 重要挽留客户: long ago, rare, high value
    ("hhl", "General Value"),  # 一般价值客户
    ("hll", "General Development"),  # 一般发展客户
    ("lhl", "General Retention"),  # 一般保持客户
    ("lll", "General Win-back"),  # 一般挽留客户
]
