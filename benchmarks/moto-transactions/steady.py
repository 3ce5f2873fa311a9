"""moto's memory per request when no data is added (a benchmark, not a test): for each wrapper script given as
NAME=PATH, start it as moto_server does (this python, -H 127.0.0.1 -p PORT), create a table (hash key + GSI, no
stream) with ITEMS items, then ROUNDS rounds of TXNS requests groups: a TransactWriteItems that updates one existing
item and overwrites another (both keys exist, so the table does not grow), a GetItem, and every 10th time a GSI Query
and a Scan of 20 items. Prints seconds and moto's VmRSS after each round: what moto keeps per request beyond the
data. Usage: python3 steady.py before=before.py after=after.py   Env: ITEMS=200 TXNS=300 ROUNDS=5
"""
import os
import socket
import subprocess
import sys
import time

import boto3

ITEMS = int(os.environ.get("ITEMS", 200))
TXNS = int(os.environ.get("TXNS", 300))
ROUNDS = int(os.environ.get("ROUNDS", 5))


def run(name, script):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    moto = subprocess.Popen([sys.executable, script, "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def rss_mb():
        with open(f"/proc/{moto.pid}/status") as status:
            return int(next(line for line in status if line.startswith("VmRSS")).split()[1]) // 1024

    try:
        client = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{port}", region_name="eu-west-1",
                              aws_access_key_id="test", aws_secret_access_key="test")
        for _ in range(100):
            try:
                client.list_tables()
                break
            except Exception:
                time.sleep(0.1)
        client.create_table(TableName="t", BillingMode="PAY_PER_REQUEST",
                            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                  {"AttributeName": "g", "AttributeType": "S"}],
                            GlobalSecondaryIndexes=[{"IndexName": "by-g", "Projection": {"ProjectionType": "ALL"},
                                                     "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}])
        s = lambda v: {"S": v}
        for k in range(ITEMS):
            client.put_item(TableName="t", Item={"pk": s(f"k{k}"), "g": s(f"g{k % 10}"), "x": s("y" * 300)})
        rows = []
        for round_number in range(1, ROUNDS + 1):
            start = time.time()
            for i in range(TXNS):
                client.transact_write_items(TransactItems=[
                    {"Update": {"TableName": "t", "Key": {"pk": s(f"k{i % ITEMS}")}, "UpdateExpression": "SET n = :n",
                                "ConditionExpression": "attribute_exists(pk)",
                                "ExpressionAttributeValues": {":n": {"N": str(i)}}}},
                    {"Put": {"TableName": "t", "Item": {"pk": s(f"k{(i + 1) % ITEMS}"), "g": s(f"g{i % 10}"),
                                                        "x": s("z" * 300)}}}])
                client.get_item(TableName="t", Key={"pk": s(f"k{i % ITEMS}")})
                if i % 10 == 0:
                    client.query(TableName="t", IndexName="by-g", KeyConditionExpression="g = :g",
                                 ExpressionAttributeValues={":g": s("g1")})
                    client.scan(TableName="t", Limit=20)
            rows.append((time.time() - start, rss_mb()))
            print(f"[{name}] round {round_number}: {rows[-1][0]:.1f} s, RSS {rows[-1][1]} MB", file=sys.stderr,
                  flush=True)
        return rows
    finally:
        moto.terminate()
        moto.wait(10)


results = {}
for spec in sys.argv[1:]:
    name, path = spec.split("=", 1)
    results[name] = run(name, path)
names = list(results)
print(f"\n{ITEMS} items, {TXNS} transactions (+ reads) per round, no item added\n")
print("| round | " + " | ".join(f"{n} s | {n} moto RSS MB" for n in names) + " |")
print("|---:|" + "---:|---:|" * len(names))
for r in range(ROUNDS):
    print(f"| {r + 1} | " + " | ".join(f"{results[n][r][0]:.1f} | {results[n][r][1]}" for n in names) + " |")
