/**
 * A local model of IAM for the functions' calls to AWS, so that a missing permission fails locally as it would in
 * production. The pieces are pure (no network, no clock); the local stack wires them into the proxy between the
 * functions and moto:
 * <ol>
 *   <li>{@link com.edgeinventory.local.iam.RolePolicies}: each function's identity-based policy, read from the
 *       resolved template as SAM builds the function's role ({@link com.edgeinventory.local.iam.FunctionPolicy});</li>
 *   <li>{@link com.edgeinventory.local.iam.AwsRequestActions}: from a raw request, the calling access key, the
 *       region and the (IAM action, resource ARN) pairs IAM authorizes
 *       ({@link com.edgeinventory.local.iam.RequestActions});</li>
 *   <li>{@link com.edgeinventory.local.iam.PolicyEvaluator}: allowed, explicitly denied or implicitly denied, with
 *       the reason;</li>
 *   <li>{@link com.edgeinventory.local.iam.AccessDenied}: the error response AWS gives for a denial, per service
 *       protocol;</li>
 *   <li>{@link com.edgeinventory.local.iam.IamCheck}: the four together for one request, with the functions' access
 *       keys: allow, deny (with the response) or pass through (with the reason to log).</li>
 * </ol>
 *
 * <h2>Evaluated</h2>
 * <ul>
 *   <li>identity-based policies of the function's SAM-generated role: inline {@code Policies} statements, the SAM
 *       policy templates of {@link com.edgeinventory.local.iam.SamPolicyTemplates}, the AWS managed policies of
 *       {@link com.edgeinventory.local.iam.ManagedPolicies}, and the policies SAM adds (basic execution, X-Ray,
 *       VPC, event-source execution roles, dead-letter queue, {@code EventInvokeConfig} and event source
 *       {@code DestinationConfig} destinations);</li>
 *   <li>{@code Effect} Allow/Deny (an explicit Deny wins), {@code Action}/{@code NotAction},
 *       {@code Resource}/{@code NotResource}, {@code *} and {@code ?} wildcards, IAM's case rules;</li>
 *   <li>requests to DynamoDB, DynamoDB Streams, S3, SQS (JSON and query protocols) and Kinesis (JSON), for the
 *       operations {@link com.edgeinventory.local.iam.AwsRequestActions} lists; anything else is reported as not
 *       evaluated, so the caller can pass it through and log it.</li>
 * </ul>
 *
 * <h2>Not evaluated</h2>
 * <ul>
 *   <li>{@code Condition} blocks: a conditional Allow counts as allowing, a conditional Deny does not apply (see
 *       {@link com.edgeinventory.local.iam.PolicyEvaluator} for why);</li>
 *   <li>resource-based policies: bucket policies (e.g. the upload bucket's TLS-only Deny), queue policies, Kinesis
 *       stream and DynamoDB table resource policies, Lambda function policies;</li>
 *   <li>KMS: key policies and grants, and the {@code kms:*} permissions SSE-KMS (the central stream's
 *       {@code alias/aws/kinesis}) would need;</li>
 *   <li>AWS Organizations SCPs and RCPs, permission boundaries ({@code PermissionsBoundary}), session policies;</li>
 *   <li>roles given explicitly with {@code Role}, and managed policies not known to
 *       {@link com.edgeinventory.local.iam.ManagedPolicies} (both reported in
 *       {@link com.edgeinventory.local.iam.FunctionPolicy#notEvaluable()});</li>
 *   <li>the SigV4 signature: only the credential scope (access key id, region, service) is read, the signature is
 *       not verified; nor are credentials' expiry or session tokens;</li>
 *   <li>cross-account access (the whole local stack is one account, {@code 123456789012}), PartiQL, and the
 *       operations of other services.</li>
 * </ul>
 */
package com.edgeinventory.local.iam;
