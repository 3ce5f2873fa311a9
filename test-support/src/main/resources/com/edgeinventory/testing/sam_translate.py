"""Prints template.yaml as AWS SAM's own translator (aws-sam-translator, installed with cfn-lint) turns it into
CloudFormation: the oracle for SAM's semantics (aliases, permissions, event source mappings, policy templates).

Usage: sam_translate.py TEMPLATE REGION '{"Param":"value",...}'
Local CodeUri paths are replaced by s3:// URIs first, as `sam deploy` does after uploading them.
"""
import json
import os
import sys

from cfnlint.decode import cfn_yaml
from samtranslator.translator.transform import transform


class NoManagedPolicies:
    def load(self):
        return {}


def main():
    template_file, region, parameters = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    os.environ["AWS_DEFAULT_REGION"] = region
    template = cfn_yaml.load(template_file)
    for resource in template.get("Resources", {}).values():
        props = resource.get("Properties") or {}
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(props.get("CodeUri"), str):
            props["CodeUri"] = "s3://deployment-bucket/" + props["CodeUri"]
    translated = transform(template, parameters, NoManagedPolicies())
    json.dump(translated, sys.stdout, default=str)


if __name__ == "__main__":
    main()
