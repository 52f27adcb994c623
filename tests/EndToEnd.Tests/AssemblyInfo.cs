// End-to-end classes each start a whole platform; on two cores they run one at a time.
[assembly: DoNotParallelize]
