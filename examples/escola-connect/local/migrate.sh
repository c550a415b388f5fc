#!/bin/sh
# The local profile's migration command: applies local/migrations/*.sql in order with the
# mysql client. eclusa passes the connection in DATABASE_URL (mysql://user:password@host:port/db);
# the password goes to the client in MYSQL_PWD, never on its command line.
set -eu
rest=${DATABASE_URL#*://}
credentials=${rest%%@*}
rest=${rest#*@}
hostport=${rest%%/*}
database=${rest#*/}
database=${database%%\?*}
user=${credentials%%:*}
MYSQL_PWD=$(printf '%s' "${credentials#*:}" | sed 's/%40/@/g; s/%3A/:/g; s/%2F/\//g; s/%25/%/g')
export MYSQL_PWD
for file in "$(dirname "$0")"/migrations/*.sql; do
  echo "applying $(basename "$file")"
  mysql --protocol=TCP -u "$user" -h "${hostport%%:*}" -P "${hostport#*:}" "$database" < "$file"
done
