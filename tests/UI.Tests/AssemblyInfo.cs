// One browser and one platform per class; the classes run one at a time (the machine has two cores).
[assembly: DoNotParallelize]
