#!/usr/bin/python3
"""Writes configparser-parity.json: tricky INI texts with the values Python's own configparser
(default BasicInterpolation, as the seed service read its files) gives for them, or the error it
raises. IniFileParityTest compares dev.pronto.server.IniFile with it.

Run from this folder with Debian's Python (stdlib only):  /usr/bin/python3 generate.py
"""
import configparser
import json
import sys

CASES = [
    ("plain", "[S3]\nS3_local_folder_path = /tmp/s3/\ndefault_bucket_name = models\n"),
    ("double percent is one percent", "[AWS Credentials]\nsecret_key = ab%%cd%%%%ef\n"),
    ("percent at the end, doubled", "[Azure Credentials]\naccount_key = key==%%\n"),
    ("lone percent", "[AWS Credentials]\nsecret_key = ab%cd\n"),
    ("lone percent at the end", "[AWS Credentials]\nsecret_key = 100%\n"),
    ("reference in the same section", "[NAS]\nbase = /srv\nNAS_local_folder_path = %(base)s/models\n"),
    ("reference is case-insensitive", "[NAS]\nBase = /srv\nNAS_local_folder_path = %(BASE)s/models\n"),
    ("reference to DEFAULT", "[DEFAULT]\nroot = /data\n[S3]\nS3_local_folder_path = %(root)s/s3/\n"),
    ("section wins over DEFAULT", "[DEFAULT]\nroot = /data\n[S3]\nroot = /other\nS3_local_folder_path = %(root)s/s3/\n"),
    ("chained references", "[Logs]\na = /var\nb = %(a)s/log\nlog_file_path = %(b)s/pronto/\n"),
    ("reference to a missing key", "[Logs]\nlog_file_path = %(nowhere)s/pronto/\n"),
    ("reference to another section is missing", "[S3]\nbase = /s3\n[Azure]\nAzure_local_folder_path = %(base)s\n"),
    ("reference without s", "[Logs]\nbase = /var\nlog_file_path = %(base)/x\n"),
    ("unclosed reference", "[Logs]\nlog_file_path = %(base\n"),
    ("reference followed by other format letter", "[Logs]\nbase = /var\nlog_file_path = %(base)d\n"),
    ("percent-encoded text", "[Azure]\nstorage_account_name = a%20b\n"),
    ("escaped percent-encoded text", "[Azure]\nstorage_account_name = a%%20b\n"),
    ("self reference", "[Logs]\nlog_file_path = %(log_file_path)s\n"),
    ("reference to a value with double percent", "[Logs]\np = 50%%\nlog_file_prefix = %(p)s\n"),
    ("depth ten", "[L]\nk0 = x\n" + "".join("k%d = %%(k%d)s\n" % (i, i - 1) for i in range(1, 11))),
    ("depth eleven", "[L]\nk0 = x\n" + "".join("k%d = %%(k%d)s\n" % (i, i - 1) for i in range(1, 12))),
    ("inline semicolon stays in the value", "[S3]\ndefault_bucket_name = models ; the bucket\n"),
    ("inline hash stays in the value", "[S3]\ndefault_bucket_name = models # the bucket\n"),
    ("colon delimiter and first delimiter wins", "[Engine]\nstorage.s3.endpoint: http://minio:9000\nx = a:b=c\n"),
    ("empty value", "[SkLearn]\ncache_folder =\n"),
    ("continuation lines", "[Logs]\nlogger_default_name = first\n    second\n\tthird\n"),
    ("continuation after an empty value", "[Logs]\nlogger_default_name =\n    first\n"),
    ("continuation with a blank line inside", "[Logs]\nlogger_default_name = first\n\n    second\n"),
    ("comment between continuation lines", "[Logs]\nlogger_default_name = first\n# note\n    second\n"),
    ("whitespace around keys and values", "[Logs]\n   log_file_prefix   =   app   \n"),
    ("key case is folded", "[Logs]\nLOG_FILE_PREFIX = app\n"),
    ("duplicate key", "[Logs]\nlog_file_prefix = a\nLog_File_Prefix = b\n"),
    ("duplicate section", "[Logs]\nlog_file_prefix = a\n[Logs]\nlog_level_file = INFO\n"),
    ("key before a section", "log_file_prefix = a\n[Logs]\n"),
    ("line without delimiter", "[Logs]\nlog_file_prefix\n"),
    ("unicode value", "[Azure]\nstorage_account_name = caf\u00e9 \u2713\n"),
    ("percent inside a continuation line", "[Logs]\nlogger_default_name = a\n    b%%c\n"),
    ("lone percent inside a continuation line", "[Logs]\nlogger_default_name = a\n    b%c\n"),
]


def run(text):
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text, source="case.ini")
        values = {}
        for section in parser.sections():
            # the section's own keys, not those it inherits from DEFAULT
            values[section] = {key: parser.get(section, key) for key in parser._sections[section]}
        return {"values": values}
    except configparser.Error as error:
        return {"error": type(error).__name__}


def main():
    cases = [dict(name=name, ini=text, **run(text)) for name, text in CASES]
    with open("configparser-parity.json", "w", encoding="utf-8") as out:
        json.dump({"python": sys.version.split()[0], "cases": cases}, out, indent=2, ensure_ascii=False)
        out.write("\n")


if __name__ == "__main__":
    main()
