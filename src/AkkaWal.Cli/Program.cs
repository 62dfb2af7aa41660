Console.Error.WriteLine("akkawal: commands arrive with the storage engine");
return 64;
