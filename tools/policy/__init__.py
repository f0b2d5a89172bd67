"""The credit policy as configuration: one versioned YAML file, validated by `schema.Policy`.

from tools.policy.loader import load_policy
policy = load_policy()            # the shipped default
policy = load_policy(Path(...))   # a bank's own file; InvalidInput names the bad field
"""
